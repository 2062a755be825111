"""What each report section shows, built from the measures: its tables, charts with alt text, and
sentences. One module per section; the section's notebook calls these and displays the results."""
