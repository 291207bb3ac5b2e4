"""Flask extensions, created unbound and initialised by `create_app`."""

from flask_babel import Babel
from flask_socketio import SocketIO
from flask_wtf.csrf import CSRFProtect

socketio = SocketIO()
babel = Babel()
csrf = CSRFProtect()
