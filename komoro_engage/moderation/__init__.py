"""Reports (通報) on anything reportable; enough of them hide an item until staff decide."""

from komoro_engage.moderation import erasure

erasure.register()  # account deletion empties the person's report details if they ask
