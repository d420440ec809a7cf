"""The privacy notice and terms of use: one editable file (guide_content/privacy.yaml), served as web pages."""
