"""The Evidence register screen (register.py, item_form.py) and the triangulation count
the Findings and Standards screens show (triangulation.py)."""
