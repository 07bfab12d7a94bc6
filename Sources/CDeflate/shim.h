// libdeflate, for the compressed search index (Sources/DossierKit/Index/Deflate.swift).
#include <libdeflate.h>
