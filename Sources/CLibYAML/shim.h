// libyaml, for the front matter and site.yml (Sources/DossierKit/Parse/YAMLComposer.swift).
#include <yaml.h>
