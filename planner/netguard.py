"""No network for GDAL and PROJ, in every process that imports `planner` (issue 13: server-side
request forgery).

A file can name an address that GDAL or PROJ fetches while the file is read: a GeoJSON's legacy
`crs` member of type "link" or "url" (GDAL downloads its `href` to read the definition, wherever
the member is, even on one geometry), a PROJ string with `+nadgrids=@http://...` (PROJ downloads
the grid when its network access is on), a `/vsicurl/` path. The importer refuses such members
before GDAL opens a file (`planner.importing.guard`); this module is the layer behind it. Importing
`planner` calls `disable_network()` (planner/__init__.py), so the Streamlit server, the CLI and the
import worker (a fresh `python -m planner.importing.worker`) all run with it.

The settings, each checked by tests/test_no_network.py against a local listener that counts every
request it gets (GDAL 3.12, PROJ 9.5 in pyogrio's wheel, PROJ 9.5 in pyproj's):
- `PROJ_NETWORK=OFF` in the environment. PROJ reads it once per context, the first time it needs
  to know, and it wins over `network = on` in a proj.ini. It must be set before PROJ makes its
  contexts: pyproj and pyogrio each carry their own PROJ, and GDAL's cannot be switched from
  Python afterwards (once pyogrio is imported with `PROJ_NETWORK=ON`, setting it has no effect).
  Hence as early as possible: when `planner` itself is imported. Stops grid downloads, from the
  PROJ CDN or from an address a CRS names.
- `pyproj.network.set_network_enabled(False)`, when pyproj is already loaded: pyproj reads the
  variable at its import, which may have come before `planner`'s.
- `CPL_VSIL_CURL_ALLOWED_FILENAME` = a name no path can be: GDAL's `/vsicurl/` opens that one file
  only, so nothing is fetched through it, nor through the network file systems built on it
  (`/vsicurl_streaming/`, `/vsis3/`, `/vsigs/`, `/vsiaz/`, `/vsiwebhdfs/`...), nor through "http://"
  paths (GDAL reads them through `/vsicurl/`); this holds whatever the proxy settings are.
- `GDAL_HTTP_PROXY` and `GDAL_HTTPS_PROXY` = a proxy of a scheme libcurl does not know: every
  request of GDAL's HTTP client (`CPLHTTPFetch`: the `crs` link, the WFS, OAPIF, WMS... drivers)
  fails inside libcurl before any connection ("Unsupported proxy scheme"). GDAL has no option that
  switches that client off; this is the last resort the documentation leaves. Its one gap: libcurl
  does not use a proxy for the hosts the `no_proxy` / `NO_PROXY` environment variable lists, and
  GDAL cannot override that, so `CPLHTTPFetch` still reaches those hosts (a warning is logged when
  the variable is set). The importer's content checks, and the worker's empty network namespace
  where the kernel allows one, cover the cases known.
All of them go into the environment: GDAL reads its options there whenever no configuration option
is set, the environment wins over a GDAL configuration file (a gdalrc cannot switch them back), and
child processes inherit it. When pyogrio is already loaded, the GDAL settings are also set as
configuration options, which win over the environment (nothing in planner sets these otherwise).

Considered and left out:
- `CPL_VSIL_CURL_ALLOWED_EXTENSIONS`: filters `/vsicurl/` by extension only; the allowed file name
  above already lets nothing through.
- `GDAL_DISABLE_READDIR_ON_OPEN`: stops directory listings, not fetching the file itself.
- An option for the URLs `OGRSpatialReference::SetFromUserInput` accepts: there is none; GDAL's
  readers pass it ALLOW_NETWORK_ACCESS=NO (a GeoJSON named CRS, a GeoPackage or .prj definition
  that is a URL fetched nothing), and whatever it would fetch goes through `CPLHTTPFetch`, above.
- A `CPLHTTPSetFetchCallback` through ctypes (would close the `no_proxy` gap): a callback that
  returns nothing lets GDAL fetch anyway, so it would have to build GDAL's result structure by
  hand, in a library whose file name changes with every wheel.
"""
from __future__ import annotations

import logging
import os
import sys

log = logging.getLogger("planner.netguard")

NOWHERE_PROXY = "planner-no-network://network-access-is-off"  # libcurl: "Unsupported proxy scheme"
NO_URL = "planner: network access is off"  # never equal to a /vsicurl/ path
PROJ_SETTINGS = {"PROJ_NETWORK": "OFF"}
GDAL_SETTINGS = {
    "CPL_VSIL_CURL_ALLOWED_FILENAME": NO_URL,
    "GDAL_HTTP_PROXY": NOWHERE_PROXY,
    "GDAL_HTTPS_PROXY": NOWHERE_PROXY,
}
_warned = False


def disable_network() -> None:
    """Switch GDAL's and PROJ's network access off for this process and its children (see the
    module's docstring). Cheap (loads neither library) and idempotent."""
    global _warned
    os.environ.update(PROJ_SETTINGS | GDAL_SETTINGS)
    if "pyproj" in sys.modules:
        import pyproj.network

        pyproj.network.set_network_enabled(False)
    if "pyogrio" in sys.modules:
        import pyogrio

        pyogrio.set_gdal_config_options(GDAL_SETTINGS)
    bypass = [name for name in ("no_proxy", "NO_PROXY") if os.environ.get(name, "").strip()]
    if bypass and not _warned:
        _warned = True
        log.warning("%s is set: GDAL's HTTP client is not kept from the hosts it lists (uploads are still "
                    "checked before GDAL reads them, and /vsicurl/ stays closed)", "/".join(bypass))


def network_status() -> dict:
    """What GDAL and PROJ will do, as they report it: {setting: value}, for checks and support."""
    import pyogrio
    import pyproj.network

    status = {name: pyogrio.get_gdal_config_option(name) for name in GDAL_SETTINGS}
    status["PROJ_NETWORK"] = os.environ.get("PROJ_NETWORK")
    status["pyproj_network_enabled"] = pyproj.network.is_network_enabled()
    return status
