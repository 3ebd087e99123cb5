"""``/docs`` (Swagger UI) and ``/redoc``, with their scripts served from this server.

FastAPI's defaults load both from a CDN: blank pages offline, and a third-party script running
on the dashboard's origin. The assets here are the ones the ``fastapi-offline`` package bundles
(Swagger UI 5, ReDoc 2: Apache-2.0 and MIT, see that package). A Content-Security-Policy keeps
every load on this origin, which also stops ReDoc's hard-wired logo request to its CDN.
"""

from __future__ import annotations

from importlib.resources import files

from fastapi import FastAPI
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.staticfiles import StaticFiles
from starlette.responses import HTMLResponse

ASSETS_URL = "/docs/assets"
_ASSETS_DIR = files("fastapi_offline") / "static"
# The pages bootstrap with an inline script; Swagger UI styles inline; ReDoc searches in a
# blob: worker. Nothing may come from, or go to, another origin.
_CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; worker-src 'self' blob:; connect-src 'self'; "
    "frame-ancestors 'self'; base-uri 'self'; form-action 'self'"
)
_SWAGGER_UI_PARAMETERS = {
    "persistAuthorization": True,  # the key entered in "Authorize" survives a reload
    "validatorUrl": None,  # no badge fetched from validator.swagger.io
}


def _secured(page: HTMLResponse) -> HTMLResponse:
    page.headers["content-security-policy"] = _CONTENT_SECURITY_POLICY
    page.headers["referrer-policy"] = "same-origin"
    return page


def install_docs(app: FastAPI) -> None:
    """Serve ``/docs`` and ``/redoc`` for ``app`` (created with ``docs_url=redoc_url=None``)."""
    openapi_url = app.openapi_url or "/openapi.json"
    app.mount(ASSETS_URL, StaticFiles(directory=str(_ASSETS_DIR)), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    async def swagger_ui() -> HTMLResponse:
        return _secured(
            get_swagger_ui_html(
                openapi_url=openapi_url,
                title=f"{app.title} - Swagger UI",
                swagger_js_url=f"{ASSETS_URL}/swagger-ui-bundle.js",
                swagger_css_url=f"{ASSETS_URL}/swagger-ui.css",
                swagger_favicon_url=f"{ASSETS_URL}/favicon.png",
                swagger_ui_parameters=_SWAGGER_UI_PARAMETERS,
            )
        )

    @app.get("/redoc", include_in_schema=False)
    async def redoc() -> HTMLResponse:
        return _secured(
            get_redoc_html(
                openapi_url=openapi_url,
                title=f"{app.title} - ReDoc",
                redoc_js_url=f"{ASSETS_URL}/redoc.standalone.js",
                redoc_favicon_url=f"{ASSETS_URL}/favicon.png",
                with_google_fonts=False,
            )
        )
