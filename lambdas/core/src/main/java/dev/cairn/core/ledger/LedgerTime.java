package dev.cairn.core.ledger;

import com.fasterxml.jackson.annotation.JacksonAnnotationsInside;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.ser.std.StdScalarSerializer;
import java.io.IOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.regex.Pattern;

/**
 * How the ledger writes and reads its timestamps ({@code build_time} and every {@code *_at}
 * attribute): ISO-8601 UTC as {@link DateTimeFormatter#ISO_INSTANT} prints it, which is {@link
 * Instant#toString()}: no fraction when the sub-second part is zero, otherwise 3, 6 or 9 digits.
 * The {@code *_at} attributes hold milliseconds ({@link #millis}), so they print as {@code
 * 2026-11-22T09:14:00Z} or {@code 2026-11-22T09:14:00.123Z}. Reading accepts any UTC time the
 * ledger has ever stored (a manifest's {@code build_time} may carry 1 to 9 fraction digits) and
 * refuses anything else with the attribute's name.
 */
public final class LedgerTime {

  /** The forms the ledger stores: the manifest's {@code build_time} pattern, which covers ours. */
  private static final Pattern UTC =
      Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?Z");

  private LedgerTime() {}

  /** {@code t} at the precision of every {@code *_at} attribute: milliseconds. */
  public static Instant millis(Instant t) {
    return t == null ? null : t.truncatedTo(ChronoUnit.MILLIS);
  }

  /** The stored text of {@code t}. */
  public static String format(Instant t) {
    return DateTimeFormatter.ISO_INSTANT.format(t);
  }

  /**
   * The instant stored as {@code text} in {@code attribute}; {@link IllegalArgumentException}
   * naming the attribute when {@code text} is not an ISO-8601 UTC time.
   */
  public static Instant parse(String attribute, String text) {
    if (text != null && UTC.matcher(text).matches()) {
      try {
        return Instant.parse(text);
      } catch (DateTimeParseException e) {
        // Matches the shape but is no real time (month 13, February 30th): refused below.
      }
    }
    throw new IllegalArgumentException(
        attribute
            + " must be an ISO-8601 UTC time such as 2026-11-22T09:14:00.123Z, not "
            + (text == null ? "null" : '"' + text + '"'));
  }

  /** Marks an {@link Instant} record component or builder setter as a ledger timestamp. */
  @Target({ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER})
  @Retention(RetentionPolicy.RUNTIME)
  @JacksonAnnotationsInside
  @JsonSerialize(using = Serializer.class)
  @JsonDeserialize(using = Deserializer.class)
  public @interface Iso {}

  /** Writes {@link #format}. */
  public static final class Serializer extends StdScalarSerializer<Instant> {
    public Serializer() {
      super(Instant.class);
    }

    @Override
    public void serialize(Instant value, JsonGenerator gen, SerializerProvider provider)
        throws IOException {
      gen.writeString(format(value));
    }
  }

  /** Reads {@link #parse}; anything but a string of that form is refused. */
  public static final class Deserializer extends StdScalarDeserializer<Instant> {
    public Deserializer() {
      super(Instant.class);
    }

    @Override
    public Instant deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      String attribute = p.currentName();
      if (!p.hasToken(JsonToken.VALUE_STRING)) {
        throw InvalidFormatException.from(
            p,
            attribute + " must be an ISO-8601 UTC time string, not " + p.currentToken(),
            p.getText(),
            Instant.class);
      }
      String text = p.getText();
      try {
        return parse(attribute, text);
      } catch (IllegalArgumentException e) {
        throw InvalidFormatException.from(p, e.getMessage(), text, Instant.class);
      }
    }
  }
}
