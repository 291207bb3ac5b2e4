"""Run Collab: `python wsgi.py` serves it; `flask --app wsgi ...` runs its commands.

The async mode (COLLAB_ASYNC_MODE: eventlet by default, gevent or threading) is chosen here and
only here: monkey patching must come before any other import.
"""

import os
import warnings

ASYNC_MODE = os.environ.get("COLLAB_ASYNC_MODE") or "eventlet"
SERVING = __name__ == "__main__"

if SERVING and ASYNC_MODE == "eventlet":
    warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")
    import eventlet

    eventlet.monkey_patch()

    from eventlet.websocket import RFC6455WebSocket

    from collab.transport import unmask_websocket_payload

    RFC6455WebSocket._apply_mask = staticmethod(unmask_websocket_payload)
elif SERVING and ASYNC_MODE == "gevent":
    try:
        from gevent import monkey
    except ImportError:
        raise SystemExit("COLLAB_ASYNC_MODE=gevent needs gevent: .venv/bin/pip install gevent") from None

    monkey.patch_all()

from collab import create_app  # noqa: E402
from collab.extensions import socketio  # noqa: E402

# The flask CLI imports this module after Flask: it runs commands, never the server, so it
# needs no green threads (and patching that late would only warn).
app = create_app(None if SERVING else {"ASYNC_MODE": "threading"})

if SERVING and ASYNC_MODE == "eventlet":
    from eventlet import tpool

    app.extensions["collab"].offload = tpool.execute  # image decoding off the hub
elif SERVING and ASYNC_MODE == "gevent":
    import gevent

    app.extensions["collab"].offload = lambda function, *args: gevent.get_hub().threadpool.apply(function, args)

if SERVING:
    import gc

    # Every page's template compiled now rather than by the first person to open it (~0.3 s for a
    # board page's first view after a start).
    for name in app.jinja_env.list_templates(extensions=["html"]):
        app.jinja_env.get_template(name)

    gc.collect()
    gc.freeze()  # the app's long-lived objects leave the collector's scans: shorter full-collection pauses
    tls = {"certfile": app.config["TLS_CERT"], "keyfile": app.config["TLS_KEY"]} if app.config["TLS_CERT"] else {}
    if tls and ASYNC_MODE != "eventlet":
        raise SystemExit("COLLAB_TLS_CERT is supported with COLLAB_ASYNC_MODE=eventlet; use a proxy otherwise.")
    scheme = "https" if tls else "http"
    print(f"Collab ({ASYNC_MODE}) listening on {scheme}://{app.config['HOST']}:{app.config['PORT']}/", flush=True)
    server_options: dict = dict(tls)
    if ASYNC_MODE == "eventlet":
        import resource

        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        wanted = app.config["MAX_CONNECTIONS"] + 256
        if soft < wanted and (hard == resource.RLIM_INFINITY or hard >= wanted):
            resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
        server_options["max_size"] = app.config["MAX_CONNECTIONS"]  # eventlet's default is 1,024
    if ASYNC_MODE == "eventlet":
        from collab.transport import serve_eventlet

        serve_eventlet(app, app.config["HOST"], app.config["PORT"], **server_options)
    else:
        import logging

        # Werkzeug's own request lines print the query string: collab.access (AccessLog) is the log.
        logging.getLogger("werkzeug").setLevel(logging.WARNING)
        socketio.run(
            app,
            host=app.config["HOST"],
            port=app.config["PORT"],
            allow_unsafe_werkzeug=ASYNC_MODE == "threading",
            log_output=False,
            **server_options,
        )
