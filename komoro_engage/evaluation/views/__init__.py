"""The screens of evaluation, one module per group; their URLs are listed in
``evaluation/blueprint.py``."""
