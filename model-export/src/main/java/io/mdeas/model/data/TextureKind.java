package io.mdeas.model.data;

/** The procedural surface patterns of the generator. */
public enum TextureKind {
    PLAIN,
    NOISE,
    WOOD,
    TILES,
    CARPET,
    CHECKER,
    STRIPES
}
