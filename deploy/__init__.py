"""The many-users deployment: several Streamlit processes behind nginx (serve.py, nginx.conf.template)."""
