"""Figure builders, one module per area; each registers its charts and tables by name.

The same builder draws the chart on its page, answers the page's export button and serves
``bsc export chart NAME``.
"""
