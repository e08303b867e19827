"""The web page for translators and reviewers: one static page at `/` over the JSON API.

Plain HTML, CSS and one script from `static/`, with no build step; the page calls
`api/v1/...` relative to itself, so it also works behind a proxy that mounts the app under a prefix.
"""
from __future__ import annotations

from flask import Blueprint, Flask, Response

blueprint = Blueprint("web", __name__, static_folder="static", static_url_path="/static")

#: The browser refuses anything not served by this app: no CDN, no inline script or style.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


@blueprint.get("/")
def index() -> Response:
    """Serve the page; the policy header makes a stray external fetch fail loudly in the browser."""
    response = blueprint.send_static_file("index.html")
    response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    return response


def init_app(app: Flask) -> None:
    app.register_blueprint(blueprint)
