"""docketsim: an event-sourced court docket simulator."""

__version__ = "0.1.0"
