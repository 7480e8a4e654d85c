"""Seed data of the data-protection app (read by the ``seed_register`` data migration): the default
retention rules and the processing activities this application really carries out. The director
reviews and edits both from the pages; the reasoning behind each default term is in ``retention.py``
and in the README ("Protection des données")."""

RETENTION_RULES = [
    {
        "data_class": "path_file",
        "term_months": 360,
        "starts_from": "Dernière activité sur le dossier",
        "action_description": (
            "Le dossier de la personne et tout ce qui s'y rattache (rendez-vous, parcours, documents, "
            "lignes de listes communales rapprochées) sont anonymisés : noms remplacés par « Anonyme », "
            "numéro national, coordonnées et textes libres effacés, date de naissance ramenée au 1er janvier, "
            "documents PDF supprimés, historique d'audit expurgé. Les statistiques annuelles restent exactes."
        ),
    },
    {
        "data_class": "person_file",
        "term_months": 120,
        "starts_from": "Dernière activité sur le dossier",
        "action_description": (
            "Le dossier sans parcours d'intégration est anonymisé comme un dossier avec parcours "
            "(délai de prescription de droit commun des actions personnelles, 10 ans)."
        ),
    },
    {
        "data_class": "contact_details",
        "term_months": 24,
        "starts_from": "Dernière activité sur le dossier",
        "action_description": (
            "L'adresse, le téléphone et l'e-mail d'un dossier sans activité sont effacés ; le dossier reste."
        ),
    },
    {
        "data_class": "confidential_notes",
        "term_months": 60,
        "starts_from": "Date du rendez-vous",
        "action_description": "Les notes confidentielles du rendez-vous sont effacées ; le rendez-vous reste.",
    },
    {
        "data_class": "unmatched_list_rows",
        "term_months": 12,
        "starts_from": "Transmission de la liste par la commune",
        "action_description": (
            "Les lignes jamais rattachées à un dossier (à traiter ou écartées) perdent leurs colonnes "
            "d'identité (nom, prénom, numéro national, adresse, téléphone, e-mail, langue) ; l'année de "
            "naissance, le sexe, la nationalité et le statut restent pour les chiffres."
        ),
    },
    {
        "data_class": "security_events",
        "term_months": 13,
        "starts_from": "Moment de l'événement",
        "action_description": (
            "Les événements de sécurité (connexions, échecs, verrouillages) et les journaux de "
            "connexion sont supprimés : une année d'historique, plus un mois pour comparer."
        ),
    },
]

REVIEWED_ON = "2026-11-22"
STAFF_SECURITY = (
    "Accès nominatif avec double authentification (TOTP) ; droits par rôle et par bureau ; sessions "
    "limitées dans le temps ; journal d'audit des consultations et modifications ; verrouillage après "
    "échecs de connexion ; chiffrement des échanges (HTTPS) ; sauvegardes chiffrées ; hébergement en "
    "Belgique ; pseudonymisation et anonymisation au terme de la conservation."
)

PROCESSING_ACTIVITIES = [
    {
        "name": "Accueil et accompagnement des primo-arrivants (dossiers et rendez-vous)",
        "purposes": (
            "Accueillir, informer et accompagner les personnes étrangères ; tenir leur dossier ; planifier "
            "et consigner les rendez-vous et les demandes ; orienter vers les partenaires."
        ),
        "legal_basis": "e",
        "legal_basis_detail": (
            "Code wallon de l'action sociale et de la santé (CWASS), art. 150 et suivants : missions des "
            "centres régionaux d'intégration."
        ),
        "special_categories": True,
        "special_categories_detail": (
            "Données de santé (dispense médicale, handicap) consignées dans le bilan social ou les notes "
            "confidentielles, le cas échéant."
        ),
        "special_condition": "h",
        "subject_categories": "Personnes étrangères accueillies par les bureaux d'accueil ; membres de leur ménage.",
        "data_categories": (
            "Identité, numéro national ou BIS, nationalité, pays de naissance, langues, coordonnées, "
            "adresse et commune, séjour (titre, dates), ménage, rendez-vous, demandes, notes."
        ),
        "recipients": (
            "Accompagnateur·rice·s du bureau qui suit la personne, direction ; SeTIS (interprétariat) pour "
            "la langue et la date d'un rendez-vous."
        ),
        "retention_rule": "person_file",
        "retention_text": "Dossiers avec parcours : voir la règle « Dossiers avec parcours d'intégration ».",
    },
    {
        "name": "Parcours d'intégration et ses documents",
        "purposes": (
            "Organiser le parcours d'intégration : bilan social, information sur les droits et devoirs, "
            "test de français, convention, entretiens d'évaluation, heures de formation, attestation ; "
            "produire les convocations et attestations."
        ),
        "legal_basis": "c",
        "legal_basis_detail": "CWASS, art. 152 et suivants ; arrêté du Gouvernement wallon relatif au parcours.",
        "special_categories": True,
        "special_categories_detail": "Motif médical d'une dispense du parcours.",
        "special_condition": "g",
        "subject_categories": "Primo-arrivant·e·s obligé·e·s, volontaires ou dispensé·e·s.",
        "data_categories": (
            "Identité, statut dans le parcours et motif, dispense, niveaux de français (CECR), heures "
            "suivies, entretiens, convention, attestation, documents PDF produits."
        ),
        "recipients": (
            "Accompagnateur·rice·s du bureau, direction ; opérateurs de formation (heures suivies) ; "
            "commune et Région wallonne (attestation, contrôle de l'obligation)."
        ),
        "retention_rule": "path_file",
    },
    {
        "name": "Listes communales de primo-arrivants",
        "purposes": (
            "Recevoir des communes la liste des personnes nouvellement inscrites, les rapprocher des "
            "dossiers existants et inviter les personnes obligées au parcours."
        ),
        "legal_basis": "c",
        "legal_basis_detail": "CWASS, art. 152 : transmission par les communes des données des primo-arrivant·e·s.",
        "subject_categories": "Personnes étrangères nouvellement inscrites dans une commune de la province.",
        "data_categories": (
            "Identité, date de naissance, sexe, nationalité, numéro national, adresse, date d'inscription, "
            "titre de séjour, langue, téléphone, e-mail."
        ),
        "recipients": "Agent·e·s de la commune qui transmet (leurs propres listes) ; coordination du parcours.",
        "retention_rule": "unmatched_list_rows",
        "retention_text": "Lignes rattachées à un dossier : durée du dossier.",
    },
    {
        "name": "Inscriptions des professionnel·le·s aux formations",
        "purposes": "Organiser les formations du secteur : inscriptions, liste d'attente, présences, attestations.",
        "legal_basis": "e",
        "legal_basis_detail": "CWASS, art. 150, 5° : formation des intervenant·e·s du secteur.",
        "subject_categories": "Professionnel·le·s et bénévoles du secteur ; formateur·rice·s.",
        "data_categories": "Nom, organisation, fonction, e-mail, téléphone, présences.",
        "recipients": "Coordination des formations, direction ; formateur·rice·s (liste des participant·e·s).",
        "retention_text": "5 ans après la session (justification des subventions).",
    },
    {
        "name": "Réseau des partenaires (opérateurs, plateformes, groupes de travail)",
        "purposes": (
            "Tenir à jour le réseau des opérateurs et leurs contacts, les plateformes, groupes de travail "
            "et réunions, les actions de sensibilisation et interpellations."
        ),
        "legal_basis": "e",
        "legal_basis_detail": "CWASS, art. 150, 2° à 4° : soutien aux ILI, plateformes, coordination.",
        "subject_categories": "Personnes de contact des opérateurs et partenaires ; participant·e·s aux réunions.",
        "data_categories": "Nom, fonction, organisation, e-mail, téléphone professionnels.",
        "recipients": "Équipe de coordination, direction.",
        "retention_text": "Tant que la personne est le contact de l'organisation, puis 2 ans.",
    },
    {
        "name": "Comptes du personnel et journaux de sécurité",
        "purposes": (
            "Authentifier les utilisateur·rice·s, attribuer les droits, tracer les accès et modifications "
            "des dossiers, détecter les tentatives d'intrusion."
        ),
        "legal_basis": "f",
        "legal_basis_detail": (
            "Intérêt légitime du centre à sécuriser les données (RGPD art. 32) ; obligation de "
            "traçabilité des accès aux dossiers."
        ),
        "subject_categories": "Membres du personnel ; agent·e·s communaux·ales disposant d'un accès.",
        "data_categories": "Identifiant, nom, e-mail, rôle, bureaux ; adresse IP, navigateur, heure des connexions.",
        "recipients": "Administrateur·rice·s de l'application, direction.",
        "retention_rule": "security_events",
        "retention_text": "Comptes : durée de la fonction. Journal d'audit : durée du dossier concerné.",
    },
    {
        "name": "Rapport d'activités annuel (statistiques agrégées)",
        "purposes": "Produire les chiffres annuels demandés par la Région wallonne et le rapport d'activités.",
        "legal_basis": "c",
        "legal_basis_detail": "CWASS, art. 150, 6° : recueil de statistiques locales ; rapport annuel d'agrément.",
        "subject_categories": "Personnes accompagnées (comptées, jamais nommées).",
        "data_categories": "Agrégats par année, sexe, groupe d'origine, pays, commune, bureau et statut.",
        "recipients": "SPW Intérieur et Action sociale ; conseil d'administration ; public (rapport publié).",
        "retention_text": "Rapports conservés sans limite : ils ne contiennent que des agrégats.",
    },
]
