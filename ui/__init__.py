"""The thin Streamlit shell shared by the pages (the only code besides app.py and views/ that imports streamlit)."""
