"""Writers: Word documents from templates, LibreOffice, PDF and fonts."""
