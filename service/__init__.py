"""itadoc: standard ITA workbooks → official Thai Word and PDF documents."""
