"""What people read: the terminal table, Markdown reports and the HTML page."""
