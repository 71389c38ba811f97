"""Reports (通報) on anything reportable; enough of them hide an item until staff decide."""
