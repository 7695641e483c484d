"""Talks to the Anova cloud and knows its shapes.

Nothing outside this package sees cloud JSON: events become
:class:`~bridge.anova.state.CookerState` and :class:`~bridge.anova.device.CookerInfo`.
"""
