package dev.runway.operator.api.v1alpha1;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crdv2.generator.CRDPostProcessor;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;

/**
 * Puts each kind's printer columns in the order its {@link AdditionalPrinterColumn} annotations are
 * declared. The Fabric8 CRD generator sorts them by JSONPath, so {@code kubectl get} would show
 * Age first. Runs at build time (quarkus.operator-sdk.crd.post-processor in application.properties);
 * a kind of this package is found by its name.
 */
public class PrinterColumnOrder implements CRDPostProcessor {

    @Override
    public HasMetadata process(HasMetadata crd, String crdSpecVersion) {
        if (!(crd instanceof CustomResourceDefinition definition)) {
            return crd;
        }
        List<String> declared;
        try {
            Class<?> kind = Class.forName(getClass().getPackageName() + "." + definition.getSpec().getNames().getKind());
            declared = Arrays.stream(kind.getAnnotationsByType(AdditionalPrinterColumn.class)).map(AdditionalPrinterColumn::name).toList();
        } catch (ClassNotFoundException e) {
            return crd;
        }
        for (CustomResourceDefinitionVersion version : definition.getSpec().getVersions()) {
            if (version.getAdditionalPrinterColumns() != null) {
                List<io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition> columns = new ArrayList<>(
                        version.getAdditionalPrinterColumns());
                columns.sort(Comparator.comparingInt(c -> declared.indexOf(c.getName()) < 0 ? Integer.MAX_VALUE : declared.indexOf(c.getName())));
                version.setAdditionalPrinterColumns(columns);
            }
        }
        return crd;
    }
}
