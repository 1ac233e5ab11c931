<?php
/**
 * The [vr_tour] shortcode.
 *
 * @package VrTour
 */

defined( 'ABSPATH' ) || exit;

/**
 * Registers [vr_tour id="…"].
 */
function vr_tour_register_shortcode() {
	add_shortcode( 'vr_tour', 'vr_tour_shortcode' );
}

/**
 * Renders [vr_tour id="TOUR-ID" scene="" yaw="" pitch="" fov="" autorotate="" controls="" branding="off" height="" title=""].
 *
 * @param array|string $atts The shortcode's attributes.
 * @return string
 */
function vr_tour_shortcode( $atts ) {
	$atts = shortcode_atts(
		array(
			'id'         => '',
			'scene'      => '',
			'yaw'        => '',
			'pitch'      => '',
			'fov'        => '',
			'autorotate' => '',
			'controls'   => '',
			'branding'   => '',
			'height'     => '',
			'title'      => '',
		),
		$atts,
		'vr_tour'
	);
	$html = vr_tour_iframe( $atts['id'], $atts );
	if ( '' !== $html ) {
		return $html;
	}
	// Readers see nothing of a broken shortcode; editors learn why.
	if ( ! current_user_can( 'edit_posts' ) ) {
		return '';
	}
	$message = '' === vr_tour_server()
		? __( 'VR Tour: set the tour server under Settings → VR Tour.', 'vr-tour' )
		: __( 'VR Tour: the id attribute must be a tour id.', 'vr-tour' );
	return '<p class="vr-tour-error">' . esc_html( $message ) . '</p>';
}
