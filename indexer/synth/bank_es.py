"""The Spanish bank: papers from Caribbean partners on the 14 thematics, smaller than French."""

# ruff: noqa: E501  (prose: one sentence per line reads better than wrapped fragments)

from __future__ import annotations

from .bank_en import theme
from .banks import LanguageBank

THEMES_ES = {
    "evaluation": theme(
        [
            ("rapport", "evaluación intermedia del contrato urbano de cohesión social de {terr}"),
            ("etude", "la evaluación de las políticas urbanas {dans_terr}"),
        ],
        ["la evaluación de las políticas urbanas", "el seguimiento de los programas sociales"],
        [
            "la evaluación combina entrevistas semiestructuradas y el análisis de los datos de seguimiento.",
            "durante el periodo {periode} se financiaron {nombre} proyectos por un importe total de {montant}.",
            "los responsables de proyectos señalan la complejidad de los trámites de financiación.",
            "los indicadores de resultado suelen faltar, mientras que los de realización están completos.",
            "el comité de pilotaje aprobó en {annee} una batería común de indicadores.",
        ],
        ["Resultados de la evaluación", "Gobernanza del programa"],
        [("Proyectos financiados", 5, 60, "n"), ("Tasa de ejecución", 40, 98, "%")],
    ),
    "observation": theme(
        [
            ("etude", "atlas social de los barrios prioritarios de {terr}"),
            ("rapport", "observatorio de barrios: indicadores clave {annee}"),
        ],
        ["la observación social de los barrios", "los indicadores de precariedad"],
        [
            "según el censo, el desempleo alcanza el {pct} en el barrio de {quartier}.",
            "los datos a escala de barrio son escasos y a menudo antiguos.",
            "un hogar de cada tres vive por debajo del umbral de bajos ingresos.",
            "entre {annee_prec} y {annee}, la población de {quartier} disminuyó un {pct}.",
            "el observatorio publica cada trimestre una síntesis de los indicadores.",
        ],
        ["Perfil sociodemográfico", "Fuentes de datos"],
        [("Población", 800, 12000, "n"), ("Tasa de desempleo", 15, 45, "%")],
    ),
    "jeunesse": theme(
        [
            ("etude", "los jóvenes de los barrios de {terr}: expectativas y trayectorias"),
            ("fiche-experience", "un programa de verano para adolescentes {dans_terr}"),
        ],
        ["las políticas de juventud", "la participación de los jóvenes"],
        [
            "el {pct} de los jóvenes de 16 a 25 años de {quartier} no estudia ni trabaja.",
            "la casa de la juventud acoge cada semana a unos {nombre} jóvenes.",
            "los jóvenes lamentan la falta de lugares de encuentro por la noche.",
            "la marcha de los jóvenes titulados hacia Francia continental preocupa a todos los actores.",
            "los clubes deportivos desempeñan un papel clave en el acompañamiento de los adolescentes.",
        ],
        ["Situación de los jóvenes", "Servicios de juventud"],
        [
            ("Jóvenes de 16 a 25 años", 200, 2500, "n"),
            ("Jóvenes sin empleo ni formación", 15, 45, "%"),
        ],
    ),
    "reussite-educative": theme(
        [
            ("rapport", "programa de éxito educativo de {terr}: informe {annee}"),
            ("guide", "guía de apoyo a la parentalidad para profesionales"),
        ],
        ["el éxito educativo", "el apoyo a la parentalidad"],
        [
            "el programa acompañó a {nombre} niños y a sus familias durante el curso escolar.",
            "los itinerarios individuales se construyen a partir de la detección realizada por la escuela.",
            "los padres desean estar mejor informados sobre el funcionamiento del sistema escolar.",
            "el abandono escolar afecta cada año a unos {nombre} alumnos mayores de dieciséis años.",
            "el apoyo escolar mejoró la asistencia y la confianza de los niños acompañados.",
        ],
        ["Itinerarios individuales", "Escuela y familias"],
        [("Niños acompañados", 10, 150, "n"), ("Absentismo", 3, 20, "%")],
    ),
    "prevention-delinquance": theme(
        [
            ("etude", "diagnóstico local de seguridad de {terr}"),
            ("rapport", "estrategia de prevención de la delincuencia {dans_terr} ({periode})"),
        ],
        ["la prevención de la delincuencia", "la seguridad ciudadana"],
        [
            "el consejo local de prevención de la delincuencia se reunió el {date_longue}.",
            "los delitos contra la propiedad aumentaron un {pct} entre {annee_prec} y {annee}.",
            "el sentimiento de inseguridad en {quartier} supera ampliamente la realidad de los hechos.",
            "la violencia intrafamiliar representa casi un tercio de los hechos violentos.",
            "el alumbrado público y el diseño de los espacios contribuyen a la seguridad ciudadana.",
        ],
        ["Evolución de la delincuencia", "Prevención y atención a las víctimas"],
        [("Hechos registrados", 30, 600, "n"), ("Evolución anual", -15, 25, "%")],
    ),
    "mediation-sociale": theme(
        [
            ("rapport", "la mediación social {dans_terr}: informe de actividad {annee}"),
            ("guide", "mediadores comunitarios: un marco profesional"),
        ],
        ["la mediación social", "la mediación comunitaria"],
        [
            "los mediadores intervienen sobre todo en los espacios públicos, al final del día.",
            "en {annee}, el equipo de mediación atendió {nombre} situaciones, la mayoría conflictos vecinales.",
            "la mediación se basa en la neutralidad, la libre adhesión y la confidencialidad.",
            "la precariedad de los contratos debilita la continuidad de la intervención.",
            "los vecinos ven ahora a los mediadores como interlocutores de confianza.",
        ],
        ["Actividad de mediación", "Reconocimiento profesional"],
        [("Situaciones atendidas", 20, 500, "n"), ("Acuerdos alcanzados", 40, 90, "%")],
    ),
    "emploi-insertion": theme(
        [
            ("etude", "empleo y desempleo en los barrios prioritarios de {terr}"),
            ("fiche-experience", "un taller de inserción laboral en {quartier}"),
        ],
        ["la inserción laboral", "el desarrollo económico local"],
        [
            "el desempleo alcanza el {pct} en {quartier}, casi el doble de la media municipal.",
            "el plan local de empleo permitió a {nombre} personas volver a trabajar en {annee}.",
            "el transporte, el cuidado de los hijos y la salud siguen siendo frenos al empleo.",
            "la economía informal ocupa un lugar importante en los barrios.",
            "el apoyo a la creación de empresas combina acompañamiento y microcrédito.",
        ],
        ["El empleo en los barrios", "Dispositivos de inserción"],
        [("Demandantes de empleo", 100, 2500, "n"), ("Tasa de desempleo", 18, 45, "%")],
    ),
    "renovation-urbaine": theme(
        [
            ("rapport", "proyecto de renovación urbana del barrio de {quartier}: balance {annee}"),
            ("guide", "guía de gestión urbana de proximidad"),
        ],
        ["la renovación urbana", "la gestión urbana de proximidad"],
        [
            "el proyecto de renovación de {quartier} prevé la demolición de {nombre} viviendas deterioradas.",
            "el convenio firmado con la agencia nacional de renovación urbana asciende a {montant}.",
            "{nombre} hogares fueron realojados según una carta que limita sus gastos de vivienda.",
            "los vecinos participaron en tres talleres de diseño de los nuevos espacios públicos.",
            "los problemas de propiedad del suelo explican la mayor parte de los retrasos.",
        ],
        ["El proyecto de renovación", "El realojamiento"],
        [("Viviendas demolidas", 0, 200, "n"), ("Avance de las obras", 10, 95, "%")],
    ),
    "developpement-durable": theme(
        [
            (
                "etude",
                "riesgos naturales y vulnerabilidad de los asentamientos informales {dans_terr}",
            ),
            ("rapport", "Agenda 21 local de {terr}: plan de acción {periode}"),
        ],
        ["el desarrollo urbano sostenible", "la prevención de los riesgos naturales"],
        [
            "los asentamientos informales en las laderas están muy expuestos a los deslizamientos.",
            "la Agenda 21 local asoció a los vecinos a la definición de {nombre} acciones prioritarias.",
            "el manglar protege el litoral y debe preservarse en los proyectos de ordenación.",
            "la recogida selectiva avanza lentamente, con una tasa de reciclaje del {pct} en {annee}.",
            "los caminos peatonales con sombra responden a las exigencias del clima tropical.",
        ],
        ["Riesgos y vulnerabilidad", "Orientaciones de ordenación"],
        [("Viviendas en zona de riesgo", 10, 400, "n"), ("Tasa de reciclaje", 5, 35, "%")],
    ),
    "discriminations": theme(
        [
            ("etude", "la integración de los migrantes {dans_terr}"),
            ("guide", "actuar contra la discriminación: guía para los actores locales"),
        ],
        ["la lucha contra la discriminación", "la integración de los migrantes"],
        [
            "la discriminación por lugar de residencia sigue siendo difícil de demostrar.",
            "los migrantes haitianos y dominicanos encuentran obstáculos específicos en el acceso a la vivienda.",
            "los talleres de idioma acogieron a {nombre} participantes, en su mayoría mujeres.",
            "las víctimas desconocen a menudo los recursos a su alcance.",
            "el estigma de los barrios prioritarios pesa sobre las trayectorias de sus habitantes.",
        ],
        ["Discriminaciones vividas", "Acceso a los derechos"],
        [("Personas atendidas", 10, 300, "n"), ("Población extranjera", 1, 15, "%")],
    ),
    "sante": theme(
        [
            ("etude", "la salud de los habitantes de los barrios prioritarios {dans_terr}"),
            ("fiche-experience", "talleres de nutrición para prevenir la diabetes en {quartier}"),
        ],
        ["el acceso a la atención sanitaria", "la promoción de la salud"],
        [
            "la diabetes y la hipertensión son especialmente frecuentes entre los habitantes.",
            "el {pct} de los encuestados declara haber renunciado a cuidados por motivos económicos.",
            "el taller de salud coordina las acciones de prevención en los barrios prioritarios.",
            "la salud mental es una necesidad mal cubierta por falta de servicios de proximidad.",
            "los mediadores de salud facilitan el acceso a los derechos y a los cuidados.",
        ],
        ["La salud de los habitantes", "La prevención"],
        [("Personas examinadas", 20, 600, "n"), ("Renuncia a cuidados", 10, 35, "%")],
    ),
    "logement": theme(
        [
            (
                "etude",
                "la vivienda social {dans_terr}: demanda, adjudicaciones y trayectorias residenciales",
            ),
            ("rapport", "la vivienda insalubre {dans_terr}: diagnóstico y estrategia"),
        ],
        ["la vivienda social", "la vivienda insalubre"],
        [
            "hay {grand_nombre} solicitudes de vivienda social pendientes, con una espera media de más de tres años.",
            "la indivisión de las herencias bloquea numerosas rehabilitaciones.",
            "el censo identificó {nombre} viviendas insalubres en {quartier}.",
            "los inquilinos se quejan de la humedad y de la falta de mantenimiento.",
            "el plan local de vivienda fija un objetivo de {nombre} viviendas al año.",
        ],
        ["La oferta de vivienda", "La vivienda insalubre"],
        [("Viviendas sociales", 50, 1500, "n"), ("Viviendas hacinadas", 5, 30, "%")],
    ),
    "vie-associative": theme(
        [
            ("etude", "el tejido asociativo de los barrios de {terr}"),
            ("rapport", "la economía social y solidaria {dans_terr}"),
        ],
        ["la vida asociativa", "la economía social y solidaria"],
        [
            "más de {nombre} asociaciones están activas, sobre todo en el deporte y la cultura.",
            "la dependencia de las subvenciones públicas debilita a las pequeñas asociaciones.",
            "el fondo de participación vecinal financió {nombre} microproyectos en {annee}.",
            "los voluntarios desean formarse en contabilidad y búsqueda de financiación.",
            "el fin de los empleos subvencionados amenaza muchos proyectos asociativos.",
        ],
        ["El tejido asociativo", "El voluntariado"],
        [("Asociaciones activas", 10, 150, "n"), ("Voluntarios", 30, 800, "n")],
    ),
    "culture": theme(
        [
            ("etude", "la cultura en los barrios {dans_terr}: prácticas y equipamientos"),
            ("fiche-experience", "una residencia de artistas en {quartier}"),
        ],
        ["la acción cultural en los barrios", "la memoria de los barrios"],
        [
            "la residencia de artistas reunió a vecinos de todas las generaciones en torno al bèlè.",
            "la memoria de los mayores de {quartier} se recogió y se presentó en una exposición.",
            "la lengua y la cultura criollas ocupan un lugar central en los proyectos.",
            "el carnaval del barrio moviliza cada año a varios cientos de vecinos.",
            "pocos habitantes de los barrios prioritarios frecuentan la biblioteca municipal.",
        ],
        ["Prácticas culturales", "Proyectos artísticos participativos"],
        [("Proyectos apoyados", 1, 25, "n"), ("Participantes en los talleres", 10, 300, "n")],
    ),
}

SPANISH = LanguageBank(
    code="es",
    themes=THEMES_ES,
    slots={
        "partenaire": (
            "el ayuntamiento",
            "el consejo regional",
            "las asociaciones de vecinos",
            "los arrendadores sociales",
            "la policía",
        ),
        "acteur": ("el ayuntamiento", "el equipo del proyecto", "el comité de pilotaje"),
    },
    frames=(
        ("etude", "{sujet} {dans_terr}: lecciones para el Caribe"),
        ("article", "repensar {sujet} en el Caribe francés"),
        ("actes", "actas del seminario regional sobre {sujet}"),
        ("rapport", "{sujet}: estudio comparativo de experiencias caribeñas"),
    ),
    section_headings={
        "intro": ("Introducción", "Presentación"),
        "context": ("Contexto", "El territorio"),
        "method": ("Metodología", "Enfoque"),
        "indicators": ("Cifras clave por barrio", "Indicadores"),
        "reco": ("Recomendaciones", "Propuestas"),
        "conclusion": ("Conclusión", "Consideraciones finales"),
    },
    generic={
        "intro": (
            "este informe analiza {sujet} {dans_terr} y propone líneas de acción.",
            "la política urbana pretende reducir las desigualdades entre los barrios desfavorecidos y el resto del territorio.",
            "el estudio fue encargado por {org} en el marco de un programa de cooperación caribeña.",
        ),
        "context": (
            "los barrios prioritarios {dans_terr} reúnen a {habitants} habitantes.",
            "el desempleo duplica la media regional y afecta sobre todo a los jóvenes.",
            "muchos barrios nacieron de asentamientos informales construidos en los años sesenta.",
        ),
        "method": (
            "el método combina el análisis estadístico, entrevistas y visitas de campo.",
            "se realizaron {nombre} entrevistas con cargos electos, técnicos y responsables asociativos.",
            "{nombre} vecinos respondieron a un cuestionario.",
        ),
        "reco": (
            "los socios deberían coordinar su acción en torno a objetivos compartidos.",
            "conviene asociar más a los vecinos al diseño y al seguimiento de los proyectos.",
            "el seguimiento y la evaluación deben preverse desde el principio.",
        ),
        "conclusion": (
            "de este trabajo se desprenden varias lecciones para la acción pública.",
            "los barrios cuentan con recursos reales, empezando por el compromiso de sus habitantes.",
        ),
        "transition": (
            "la situación varía mucho de un barrio a otro.",
            "estas cifras deben interpretarse con prudencia dado el escaso número de casos.",
            "las entrevistas confirman este análisis.",
        ),
        "table": (
            "el cuadro anterior presenta los principales indicadores disponibles por barrio.",
        ),
    },
    openers=(
        "en {annee},",
        "según {partenaire},",
        "en el barrio de {quartier},",
        "desde {annee_prec},",
        "a escala municipal,",
        "en los barrios prioritarios,",
    ),
    closers=(
        ", según los actores locales",
        ", como en la mayoría de los barrios prioritarios",
        ", sobre todo en {quartier}",
        ", pese a los escasos recursos",
    ),
    connectors=("Además,", "Sin embargo,", "Por otra parte,", "En consecuencia,", "En general,"),
    subtitles=("Informe final", "Documento de trabajo", "Síntesis", "Borrador"),
    abstract_openers={
        "": "este documento analiza {sujet} {dans_terr}.",
        "rapport": "este informe examina {sujet} {dans_terr} durante el periodo {periode}.",
        "etude": "este estudio analiza {sujet} {dans_terr} a partir de estadísticas y entrevistas.",
    },
    words={
        "quartier": "Barrio",
        "ensemble": "Total",
        "table": "Cuadro",
        "by_quartier": "por barrio",
        "authors": "Autores",
        "published": "Publicado el",
        "source": "Fuente",
        "page": "Página",
        "case": "el caso de {quartier}",
        "volume": "Tomo",
        "indicators_caption": "principales indicadores",
    },
)
