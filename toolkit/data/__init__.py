"""Packaged data files (catalogues, INSEE figures, communes, contours, JSON schema): read through `resources`."""
