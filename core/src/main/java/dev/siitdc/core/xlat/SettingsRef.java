package dev.siitdc.core.xlat;

/**
 * The current {@link Settings}, shared by every worker. Replacing it is one volatile write:
 * readers never block and never see a half-built table.
 */
public final class SettingsRef {
    private volatile Settings current;

    public SettingsRef(Settings initial) { this.current = initial; }

    public Settings get() { return current; }

    public void set(Settings s) { this.current = java.util.Objects.requireNonNull(s); }
}
