"""The domain of synchronizations: lifecycle, status, permissions, configuration, audit. No Flask here.

Every function takes a database session and the calling site (tenant), never `flask.g` or `request`.
"""
