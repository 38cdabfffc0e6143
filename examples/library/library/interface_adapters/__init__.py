"""The interface adapters ring: controllers, presenters, gateways, notifications.

They convert between the use cases' data and the frameworks' without importing
a framework: each framework is behind an interface declared here.
"""
