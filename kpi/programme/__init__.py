"""Pure domain of the programme office: PEST ratings, rollout waves and stages, pilot selection,
the demand and willingness survey and the vendor evaluation.

Each area has a module of calculations (``pest``, ``rollout``, ``selection``, ``survey``,
``vendors``) taking and returning DataFrames and dataclasses, and a module that reads its files
into typed records with an :class:`~kpi.issues.Issue` for every bad cell (``*_files``).
Nothing here touches the database or the web layer.
"""
