"""The classroom app: a Solara front end for cohesion_sim (``cohesion-sim app``).

Only this package imports Solara, and only its component modules do:

- ``cli``: the ``app`` subcommand; light, Solara runs in the server process only.
- ``page``: the page (``solara run cohesion_sim.app.page``); all state is per session.
- ``controls``, ``views``, ``compare``: Solara components.
- ``state``, ``summit_log``, ``downloads``: settings, runs, frames, sentences, files (pure).
- ``map_view``, ``charts``, ``svg``, ``palette``: the live views as SVG text (pure, fast).
- ``figures``: the same views as matplotlib PNG, for downloads.
""" 
