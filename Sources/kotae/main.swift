print("kotae")
