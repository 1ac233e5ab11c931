<?php
/**
 * Settings → VR Tour: the tour server's address, for self-hosted servers.
 *
 * @package VrTour
 */

defined( 'ABSPATH' ) || exit;

/**
 * Registers the option and its field.
 */
function vr_tour_register_settings() {
	register_setting(
		'vr_tour',
		'vr_tour_host',
		array(
			'type'              => 'string',
			'sanitize_callback' => 'vr_tour_sanitize_host',
			'default'           => '',
		)
	);
	add_settings_section( 'vr_tour_server', __( 'Tour server', 'vr-tour' ), '__return_false', 'vr_tour' );
	add_settings_field(
		'vr_tour_host',
		__( 'Server address', 'vr-tour' ),
		'vr_tour_render_host_field',
		'vr_tour',
		'vr_tour_server',
		array( 'label_for' => 'vr_tour_host' )
	);
}

/**
 * Keeps only the origin of an http(s) URL (`https://tours.example.com`), or '' with a notice.
 *
 * @param mixed $value What was submitted.
 * @return string
 */
function vr_tour_sanitize_host( $value ) {
	$url   = esc_url_raw( trim( (string) $value ), array( 'http', 'https' ) );
	$parts = $url ? wp_parse_url( $url ) : false;
	if ( empty( $parts['scheme'] ) || empty( $parts['host'] ) ) {
		if ( '' !== trim( (string) $value ) ) {
			add_settings_error( 'vr_tour_host', 'vr_tour_host_invalid', __( 'The server address must be an http(s) URL, such as https://tours.example.com.', 'vr-tour' ) );
		}
		return '';
	}
	return $parts['scheme'] . '://' . $parts['host'] . ( isset( $parts['port'] ) ? ':' . (int) $parts['port'] : '' );
}

/**
 * Adds Settings → VR Tour.
 */
function vr_tour_add_settings_page() {
	add_options_page( __( 'VR Tour', 'vr-tour' ), __( 'VR Tour', 'vr-tour' ), 'manage_options', 'vr_tour', 'vr_tour_render_settings_page' );
}

/**
 * The address field.
 */
function vr_tour_render_host_field() {
	printf(
		'<input type="url" id="vr_tour_host" name="vr_tour_host" value="%1$s" class="regular-text" placeholder="https://tours.example.com"><p class="description">%2$s</p>',
		esc_attr( (string) get_option( 'vr_tour_host', '' ) ),
		esc_html__( 'Where your tours are served. Tour URLs from this address turn into tours when pasted on their own line.', 'vr-tour' )
	);
}

/**
 * The settings page.
 */
function vr_tour_render_settings_page() {
	if ( ! current_user_can( 'manage_options' ) ) {
		return;
	}
	echo '<div class="wrap"><h1>' . esc_html( get_admin_page_title() ) . '</h1><form action="options.php" method="post">';
	settings_fields( 'vr_tour' );
	do_settings_sections( 'vr_tour' );
	submit_button();
	echo '</form></div>';
}
