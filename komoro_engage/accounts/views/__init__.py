"""The screens of accounts, one module per group; their URLs are listed in
``accounts/blueprint.py``."""
