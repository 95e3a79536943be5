"""The tokens module: eMSP tokens pushed to CPOs and real-time authorization."""
