"""The WSGI entry for servers: ``gunicorn komoro_engage.wsgi:app``.

Settings come from the environment (``KOMORO_CONFIG=production`` and the other
``KOMORO_*`` variables, see README "Running in production").
"""

from komoro_engage import create_app

app = create_app()
