"""oneplan: integrated care around families facing multiple and complex problems."""
