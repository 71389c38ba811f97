"""The screens of api, one module per group; their URLs are listed in
``api/blueprint.py``."""
