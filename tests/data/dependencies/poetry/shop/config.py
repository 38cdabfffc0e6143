try:
    import yaml
except ImportError:  # YAML configuration is optional (the "yaml" extra)
    yaml = None
