"""Wires the Anova client, the command gate and MQTT together.

The service owns all mutable state on one asyncio loop; the pieces it wires
(``anova``, ``mqtt``, ``commands``, ``safety``, ``hass``) never see each other.
"""
