"""Home Assistant's Anova library (anova-wifi) against the simulator."""
