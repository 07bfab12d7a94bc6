/// The tool's version. Part of every build's inputs: a new version may render differently.
public enum DossierVersion {
    public static let current = "0.1.0"
}
