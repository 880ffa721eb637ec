"""Everything besides ``pages/`` that calls Streamlit: the blocks every page shares (``ui``), the sidebar filters
and the URL (``filters``), the page list (``navigation``), the Data page's panels and write flow (``data_view``,
``fetch_view``, ``data_flow``, ``auth``), report downloads (``downloads``) and the kiosk (``slides``)."""
