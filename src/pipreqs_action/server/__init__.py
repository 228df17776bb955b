"""The HTTP API (``pipreqs-action serve``): an ASGI app (Starlette) served by uvicorn.

* ``options`` the operator's configuration (importable without the extra)
* ``app``     routes, validation, the ``{"detail": ...}`` error shape
* ``policy``  which ``code_url`` may be cloned (allowlist, public addresses only: no SSRF)
* ``guarded_http`` the HTTP session of a clone without git: the download's hosts only, at checked addresses
* ``work``    one job per repository in flight, a cache, a bounded pool and queue (503 + Retry-After)
* ``checks``  one job: clone once, check, turn every outcome into an answer
* ``page``    the web page at ``/``; ``docs`` the OpenAPI description and ``/docs``
* ``http``    uvicorn with the socket limits a public server needs

Installed with the ``server`` extra (``pip install 'pipreqs-action[server]'``); nothing here is imported by a
CLI check or the Action.
"""

from __future__ import annotations
