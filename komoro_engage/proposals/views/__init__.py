"""The screens of proposals, one module per group; their URLs are listed in
``proposals/blueprint.py``."""
