package dev.runway.operator.api.v1alpha1;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.jsonFormatVisitors.JsonFormatVisitorWrapper;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;

/**
 * Writes a whole {@code Double} as an integer ({@code 1}, not {@code 1.0}). The API server
 * compares a resource's JSON as stored: a Java client that read {@code errorRatePercent: 1} and
 * wrote back {@code 1.0} changed the spec, and the Application's generation moved without any
 * change of meaning (every reconcile of it then had to patch its status).
 */
public final class WholeNumbers extends StdSerializer<Double> {

    public WholeNumbers() {
        super(Double.class);
    }

    /** Still a number to schema generators (the CRD's {@code type: number}, with its bounds). */
    @Override
    public void acceptJsonFormatVisitor(JsonFormatVisitorWrapper visitor, JavaType type) throws JsonMappingException {
        visitor.expectNumberFormat(type);
    }

    @Override
    public void serialize(Double value, JsonGenerator out, SerializerProvider provider) throws IOException {
        if (!value.isInfinite() && value == Math.rint(value) && Math.abs(value) < 1e15) {
            out.writeNumber(value.longValue());
        } else {
            out.writeNumber(value);
        }
    }
}
