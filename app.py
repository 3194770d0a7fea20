"""Streamlit entry point: settings in the sidebar, pages from views/. Run: streamlit run app.py"""
import streamlit as st

from planner.errors import PlannerError
from planner.i18n import LANGS
from ui.auth import sidebar as auth_sidebar
from ui.chrome import replace_streamlit_texts
from ui.logs import guarded, show_failure, show_pending_fault
from ui.markdown import plain
from ui.reach import sidebar as reach_sidebar
from ui.state import data_dir, lang, log_package_problem, map_assets, message_of, package, show_flash, tr

st.set_page_config(page_title=tr("app.title"), layout="wide")  # no page_icon: it would be fetched from a CDN

st.session_state.setdefault("lang", "vi")
replace_streamlit_texts(st.session_state["lang"])

with st.sidebar:
    st.radio(
        tr("app.language_both"), LANGS, key="lang", horizontal=True,
        format_func=lambda code: tr(f"lang.{code}"),
    )
    reach_sidebar()  # straight line (m) or walking (minutes): the plan's reach rule
    st.toggle(tr("app.basemap"), key="basemap", value=False)
    auth_sidebar()  # sign-in / sign-out; nothing when sign-in is off (docs/deployment.md)

pages = st.navigation([
    st.Page("views/overview.py", title=tr("page.overview"), default=True),
    st.Page("views/priorities.py", title=tr("page.priorities")),
    st.Page("views/sites.py", title=tr("page.sites")),
    st.Page("views/scenarios.py", title=tr("page.scenarios")),
    st.Page("views/progress.py", title=tr("page.progress")),
    st.Page("views/data.py", title=tr("page.data")),
])

pkg = None
try:
    map_assets()
    pkg = package()
except Exception as exc:  # noqa: BLE001 - a broken or missing data package: say what and what to do
    if isinstance(exc, PlannerError):
        log_package_problem(data_dir(), exc.key, exc.message("en"))
        st.error(f"**{tr('app.error_title')}**: {message_of(exc)}")
    else:
        show_failure(exc, f"reading data package {data_dir()}")
    if pages.url_path != "data":  # the Data page still works, to go back to the demo or import again
        st.info(tr("fault.package_help"))
        st.page_link("views/data.py", label=tr("page.data"))
        st.stop()

with st.sidebar:
    if pkg is not None:
        st.caption(plain(f"{tr('app.data_source')}: {pkg.display_name(lang())}"))  # the demo notice: once, on the page
    if st.session_state.get("package_fallback"):
        st.warning(plain(tr("fault.package_fallback", path=st.session_state["package_fallback"])))

st.session_state["run_number"] = st.session_state.get("run_number", 0) + 1
with st.container():  # always there, so messages never move the page's elements (a moved map is redrawn blank)
    show_pending_fault()
    show_flash()
try:
    pages.run()
except Exception as exc:  # noqa: BLE001 - the last line of defence: a short message and a reference, the details in the log
    show_failure(exc, f"page {pages.url_path or 'overview'}")
