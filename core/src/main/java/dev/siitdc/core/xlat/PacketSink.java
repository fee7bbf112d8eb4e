package dev.siitdc.core.xlat;

/**
 * Receives every packet the translator emits: translations, hairpinned packets and ICMP errors it
 * originates. The bytes are only valid during the call (they may live in a scratch buffer that the
 * next emission reuses); the family is in the first nibble.
 */
@FunctionalInterface
public interface PacketSink {
    void emit(byte[] buf, int off, int len);
}
