// zlib, for the compressed search index (Sources/DossierKit/Index/Deflate.swift).
#include <zlib.h>
