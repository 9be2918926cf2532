package com.o7tracker.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class ConversionCountedTest {

    @Test
    void aConversionWithAndWithoutRevenueReadsBackAsSent() {
        ConversionCounted install = new ConversionCounted(42, "install", "AT", 7, 3, null, null, null);
        assertThat(install.encode()).isEqualTo("42 install AT 7 3");
        assertThat(ConversionCounted.parse(install.encode())).contains(install);
        ConversionCounted purchase = new ConversionCounted(42, "purchase", "ZZ", 8, 1, new BigDecimal("0.000001"), "EUR",
                new BigDecimal("1000000000000000000.5"));
        assertThat(purchase.encode()).isEqualTo("42 purchase ZZ 8 1 0.000001 EUR 1000000000000000000.5");
        assertThat(ConversionCounted.parse(purchase.encode())).contains(purchase);
    }

    @Test
    void aPayloadThatDoesNotReadAsAConversionIsLeftOut() {
        for (String payload : new String[] {"", "42", "42 install AT 7", "42 Install AT 7 3", "42 install at 7 3",
                "x install AT 7 3", "42 install AT 7 3 1.5 EUR", "42 install AT 7 3 1.5 eur 2", "42 install AT 7 3 x EUR 2"}) {
            assertThat(ConversionCounted.parse(payload)).as(payload).isEmpty();
        }
    }
}
