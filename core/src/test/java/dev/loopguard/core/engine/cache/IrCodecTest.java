package dev.loopguard.core.engine.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loopguard.core.ir.EventList;
import dev.loopguard.core.ir.IrSchema;
import dev.loopguard.core.ir.ModuleIr;
import dev.loopguard.core.ir.RandomIr;
import dev.loopguard.core.ir.Ref;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The schema-driven codec over random IR: exact round trips, and bad data refused. */
class IrCodecTest {

  @Test
  void randomModulesRoundTrip() {
    for (long seed = 1; seed <= 120; seed++) {
      ModuleIr m = new RandomIr(seed).module();
      byte[] b = IrCodec.encode(m);
      assertThat(IrCodec.decode(b, 0, b.length)).as("seed %d", seed).isEqualTo(m);
    }
  }

  @Test
  void aReusedEncoderWritesWhatAFreshOneWrites() {
    IrCodec.Encoder encoder = new IrCodec.Encoder();
    for (long seed = 1; seed <= 40; seed++) {
      ModuleIr m = new RandomIr(seed).module();
      encoder.encode(m);
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
      try {
        encoder.writeTo(new java.io.DataOutputStream(out));
      } catch (java.io.IOException e) {
        throw new AssertionError(e);
      }
      assertThat(out.toByteArray()).isEqualTo(IrCodec.encode(m));
    }
  }

  @Test
  void truncatedOrCorruptEntriesAreRefusedNotMisread() {
    for (long seed = 1; seed <= 60; seed++) {
      ModuleIr m = new RandomIr(seed).module();
      byte[] b = IrCodec.encode(m);
      byte[] cut = Arrays.copyOf(b, b.length - 1 - (int) (seed % Math.max(1, b.length - 1)));
      assertThatThrownBy(() -> IrCodec.decode(cut, 0, cut.length))
          .isInstanceOf(IllegalArgumentException.class);
      byte[] longer = Arrays.copyOf(b, b.length + 1);
      assertThatThrownBy(() -> IrCodec.decode(longer, 0, longer.length))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void listsOfAnyRecordTypeRoundTrip() {
    for (IrSchema.Type<?> type : IrSchema.TYPES) {
      for (long seed = 1; seed <= 5; seed++) {
        roundTripList(type, new RandomIr(seed));
      }
    }
  }

  private static <T> void roundTripList(IrSchema.Type<T> type, RandomIr random) {
    java.util.List<T> values = java.util.List.of(random.make(type), random.make(type));
    byte[] b = IrCodec.encodeList(type, values);
    assertThat(IrCodec.decodeList(type, b)).as("%s", type).isEqualTo(values);
    assertThatThrownBy(() -> IrCodec.decodeList(type, Arrays.copyOf(b, b.length - 1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void eventListsKeepTheirWordsAndReferences() {
    EventList events = new EventList.Builder()
        .add(EventList.Kind.READ_ATTR, new Ref.Attr(new Ref.Var("m.f", "self"), "status"), 3)
        .add(EventList.Kind.TEST, 3)
        .add(EventList.Kind.CALL, 7, 4)
        .add(EventList.Kind.AWAIT, 8, 4)
        .item(EventList.Kind.WRITE_ITEM, new Ref.Var("m.f", "d"),
            new Ref.Literal(Ref.LiteralKind.STRING, "k"), 5)
        .build();
    RandomIr random = new RandomIr(3);
    ModuleIr m = random.module();
    ModuleIr withEvents = new ModuleIr(m.path(), m.module(), m.aliases(), m.language(),
        m.packageInit(), m.lines(),
        m.functions().isEmpty() ? m.functions()
            : java.util.List.of(m.functions().get(0).withEvents(events)),
        m.classes(), m.calls(), m.bindings(), m.starImports(), m.directives(), m.diagnostics(),
        m.outline());
    byte[] b = IrCodec.encode(withEvents);
    ModuleIr back = IrCodec.decode(b, 0, b.length);
    assertThat(back).isEqualTo(withEvents);
    if (!back.functions().isEmpty()) {
      assertThat(back.functions().get(0).events().toString()).isEqualTo("""
          3: READ_ATTR self.status
          3: TEST
          4: CALL #7
          4: AWAIT #7
          5: WRITE_ITEM d["k"]
          """);
    }
    assertThat(IrSchema.FUNCTION.fields()).extracting(IrSchema.Field::name).contains("events");
  }
}
