"""gunicorn settings, read by any `gunicorn` started in this folder (`make serve`, bench/http.py).

Options given on the command line (`-w 4`, `--bind`) override these.
"""
from tm_service import serving

wsgi_app = "wsgi:app"
bind = "127.0.0.1:5000"
workers = 2
# Threads share one matcher (its index is per process); keep-alive needs a threaded worker.
worker_class = "gthread"
threads = 4
# A 2,000-character French query, percent-encoded in a GET, takes up to 12,000 bytes: more than
# the default 4,094 and gunicorn's own ceiling of 8,190, which serving.install() lifts.
limit_request_line = serving.LIMIT_REQUEST_LINE
limit_request_field_size = serving.LIMIT_REQUEST_FIELD_SIZE
# No runtime control socket: several servers (tests, the benchmark) may run side by side.
control_socket_disable = True

serving.install()


def post_worker_init(worker):
    """Open this worker's view of the match index as it starts (the shared files, mapped: under a
    second when they are current) and keep it current in the background. In a thread, so that a
    missing index being built cannot hold the worker past its heartbeat timeout."""
    import threading

    from tm_service import heap

    heap.limit()
    matcher = worker.wsgi.extensions.get("tm_matcher")
    if matcher is not None:
        threading.Thread(target=matcher.start, name="tm-index-open", daemon=True).start()
