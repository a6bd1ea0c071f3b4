{#- One row per (team, user) membership (tap stream team_members, optional): a full table sent
    with ACTIVATE_VERSION. meltanolabs-target-postgres and scripts/load-duckdb retire ended
    memberships; pipelinewise keeps them, so the package's own memberships are each team's members
    list instead (stg_kustomer__team_users). -#}
{{ kustomer.stage('team_members', [
    ['team_id', 'text'],
    ['user_id', 'text'],
], key=['team_id', 'user_id'], latest_by=[]) }}
