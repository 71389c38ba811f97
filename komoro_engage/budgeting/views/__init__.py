"""The screens of 市民予算: public pages and the ballot (public.py), staff pages (manage.py)."""
