"""The screens of projects, one module per group; their URLs are listed in
``projects/blueprint.py``."""
